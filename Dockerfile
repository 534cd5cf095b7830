# The Infoline app (and its text-me worker) for docker-compose or any container host.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml README.md babel.cfg ./
COPY ivr ./ivr
COPY content ./content
COPY translations ./translations
RUN pip install --no-cache-dir -e . && useradd --create-home infoline
USER infoline
EXPOSE 8000
# Twilio waits 15 s for an answer: keep worker timeouts well under that.
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "10", "--access-logfile", "-", \
     "--access-logformat", "%(m)s %(U)s %(s)s %(M)sms", "ivr:create_app()"]

# The Infoline app (and its text-me worker) for docker-compose or any container host.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml README.md babel.cfg ./
COPY ivr ./ivr
COPY content ./content
COPY translations ./translations
COPY deploy ./deploy
RUN pip install --no-cache-dir -e . && useradd --create-home infoline
USER infoline
EXPOSE 8000
# Workers, timeouts, logging and Prometheus's multiprocess mode: deploy/gunicorn.conf.py.
CMD ["gunicorn", "-c", "deploy/gunicorn.conf.py", "ivr:create_app()"]

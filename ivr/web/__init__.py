"""The web layer: the Flask app, Twilio's webhooks (channels/), signatures, the web phone, reports, metrics."""

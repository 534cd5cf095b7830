"""Channels turn Twilio requests into engine inputs and screens into TwiML."""

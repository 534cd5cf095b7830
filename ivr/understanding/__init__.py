"""Understanding what a patient sent, before the engine moves: language, safety, intent.

Pure and channel-free like the engine: text in, a reading out. Safety comes
first (crisis, emergency, a person), on the whole message, in every language.
"""

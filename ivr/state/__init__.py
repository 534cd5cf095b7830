"""State: the store (Redis or memory), conversations saved under HMACs of numbers, usage counts, one turn."""

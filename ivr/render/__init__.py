"""Rendering: engine screens -> SMS text (pages, segment budgets) or spoken sentences per voice; shared wording."""

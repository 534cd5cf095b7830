"""Every golden SMS script, played through signed webhooks against real Redis."""
from __future__ import annotations

import pytest

from ivr.render.segments import count_segments
from tests.transcripts import parse, scripts


@pytest.mark.parametrize("script", scripts("sms_*.txt"), ids=lambda path: path.stem)
def test_sms_script(script, texter):
    for step in parse(script):
        reply = texter.send(step.send)
        where = f"{script.name}:{step.line} > {step.send!r}"
        assert reply.status == 200, where
        assert reply.content_type.startswith("text/xml"), where
        if step.silent:
            assert reply.messages == [], f"{where}: expected no reply, got {reply.text!r}"
            continue
        assert reply.messages, f"{where}: expected a reply, got none"
        for message in reply.messages:
            assert count_segments(message).segments <= 3, f"{where}: over 3 segments: {message!r}"
        for text in step.expect:
            assert text in reply.text, f"{where}: expected {text!r} in:\n{reply.text}"
        for text in step.refuse:
            assert text not in reply.text, f"{where}: did not expect {text!r} in:\n{reply.text}"

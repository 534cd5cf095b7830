"""Every golden call script: keys and words in, spoken text out, through signed webhooks."""
from __future__ import annotations

import pytest

from tests.conftest import PUBLIC_URL, TEST_TOKEN
from tests.phone import Caller
from tests.transcripts import parse, scripts


@pytest.mark.parametrize("script", scripts("call_*.txt"), ids=lambda path: path.stem)
def test_call_script(script, client, phone_number):
    caller = Caller(client, phone_number, TEST_TOKEN, PUBLIC_URL)
    for step in parse(script):
        heard = caller.act(step.send)
        where = f"{script.name}:{step.line} > {step.send!r}"
        assert heard.status == 200, where
        assert heard.sayings or heard.plays, f"{where}: dead air"
        if step.hangup:
            assert heard.hangup and heard.gather is None, f"{where}: expected a hangup:\n{heard.xml}"
        else:
            assert not heard.hangup and heard.gather and heard.redirect, f"{where}: not listening:\n{heard.xml}"
        for text in step.expect:
            assert text in heard.text, f"{where}: expected {text!r} in:\n{heard.text}"
        for text in step.refuse:
            assert text not in heard.text, f"{where}: did not expect {text!r} in:\n{heard.text}"

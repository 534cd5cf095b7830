"""The terminal clients: `ivr chat`, `ivr call`, `ivr tree`, and the simulator's limits."""
from __future__ import annotations

import io

from ivr import create_app
from ivr.web.phone_driver import AppTransport, CallingPhone, TextingPhone
from ivr.tools.terminal import call, chat, tree_mermaid, tree_text
from tests.conftest import PUBLIC_URL, TEST_TOKEN


def texting(app, number="+15550100002") -> TextingPhone:
    return TextingPhone(AppTransport(app, "http://localhost"), TEST_TOKEN, number, signing_base=PUBLIC_URL)


def test_chat_sends_each_line_and_prints_replies_with_their_cost(app):
    out = io.StringIO()
    sent = chat(texting(app), io.StringIO("MENU\nSYMPTOMS\n2\n"), out)
    assert sent == 3
    text = out.getvalue()
    assert "2 Symptoms" in text and "broken bones (fractures)" in text
    assert "[GSM-7, 2 segment(s)" in text


def test_chat_with_a_wrong_token_shows_the_refusal(app):
    phone = TextingPhone(AppTransport(app, "http://localhost"), "wrong-token", "+15550100003",
                         signing_base=PUBLIC_URL)
    out = io.StringIO()
    chat(phone, io.StringIO("MENU\n"), out)
    assert "HTTP 403" in out.getvalue()


def test_call_presses_keys_speaks_and_stays_silent_until_the_line_hangs_up(app):
    phone = CallingPhone(AppTransport(app, "http://localhost"), TEST_TOKEN, "+15550100004", signing_base=PUBLIC_URL)
    out = io.StringIO()
    turns = call(phone, io.StringIO("2\nsíntomas\n\n\n\n"), out)
    text = out.getvalue()
    assert "line (es-US)> Para español, oprima 2." in text
    assert "Para Huesos, oprima 2." in text
    assert "Perdón, no escuché nada." in text
    assert "[hangs up]" in text
    assert turns == 5 and phone.ended


def test_call_ends_when_the_input_ends(app):
    phone = CallingPhone(AppTransport(app, "http://localhost"), TEST_TOKEN, "+15550100005", signing_base=PUBLIC_URL)
    out = io.StringIO()
    assert call(phone, io.StringIO("1\n"), out) == 1
    assert out.getvalue().endswith("[you hang up]\n")


def test_tree_lists_every_node_with_its_key(app):
    line = app.extensions["infoline"]
    english = tree_text(line.content, line.translations, "en")
    assert all(f"[{node_id}]" in english for node_id in line.content.nodes)
    assert "    2  Symptoms [symptoms]" in english
    assert "        2  Bone symptoms [symptoms.bone]  (BONE, BONES, BONE PAIN)" in english
    spanish = tree_text(line.content, line.translations, "es")
    assert "    2  Síntomas [symptoms]" in spanish


def test_tree_as_mermaid(app):
    line = app.extensions["infoline"]
    diagram = tree_mermaid(line.content, line.translations, "en")
    assert diagram.startswith("flowchart TD\n")
    assert "    symptoms -->|2| symptoms_bone" in diagram
    assert '    symptoms_bone("Bone symptoms")' in diagram


def test_simulator_is_off_in_production_without_its_password(client):
    assert client.get("/simulator").status_code == 404
    assert client.post("/simulator/api/sms", json={"from": "+15550100001", "body": "MENU"}).status_code == 404


def test_simulator_in_production_needs_its_password_and_fictional_numbers(settings, twilio_http):
    app = create_app({**settings, "simulator_password": "correct horse battery"}, environ={},
                     twilio_http_client=twilio_http)
    client = app.test_client()
    assert client.get("/simulator").status_code == 401
    auth = {"Authorization": "Basic " + __import__("base64").b64encode(b"staff:correct horse battery").decode()}
    assert client.get("/simulator", headers=auth).status_code == 200
    real = client.get("/simulator/api/state?from=%2B14125550123", headers=auth)
    assert real.status_code == 400
    reply = client.post("/simulator/api/sms", json={"from": "+15550100009", "body": "SYMPTOMS"}, headers=auth)
    assert "Bone symptoms" in reply.json["messages"][0]["text"]


def test_simulated_press_8_never_sends_a_real_sms(settings, twilio_http):
    app = create_app({**settings, "simulator_password": "correct horse battery"}, environ={},
                     twilio_http_client=twilio_http)
    client = app.test_client()
    auth = {"Authorization": "Basic " + __import__("base64").b64encode(b"staff:correct horse battery").decode()}
    call_state = client.post("/simulator/api/call", json={"from": "+15550100010", "action": "dial"},
                             headers=auth).json
    for action, value in (("press", "1"), ("say", "liver"), ("press", "8")):
        call_state = client.post("/simulator/api/call", headers=auth, json={
            "from": "+15550100010", "action": action, "value": value, "call_sid": call_state["call_sid"],
            "action_url": call_state["step"]["action"], "redirect_url": call_state["step"]["redirect"]}).json
    assert "yellow skin and eyes (jaundice)" in call_state["texts"][0]["messages"][0]
    app.extensions["infoline"].outbox.drain()
    assert twilio_http.requests == []


def test_the_clinic_card_lists_the_number_and_keywords(client):
    page = client.get("/card/es").get_data(as_text=True)
    assert 'lang="es"' in page
    assert "SINTOMAS" in page and "Síntomas" in page
    assert "llame" in page.lower()
    assert client.get("/card/xx").status_code == 404

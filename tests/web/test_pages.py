"""The local server's web pages in a real browser: live updates, images, links, errors, offline."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

import replicate_ext
from replicate_ext.testing import LocalServer
from replicate_ext.testing._png import solid_png

if TYPE_CHECKING:
    from playwright.sync_api import Page


def expect(locator: Any) -> Any:
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


MODELS = Path(__file__).parents[1] / "server" / "models"


@pytest.fixture
def client(server: LocalServer) -> replicate_ext.Client:
    return replicate_ext.Client(server.token, base_url=server.base_url, poll_interval=0.01)


def only_this_server(page: Page, server: LocalServer) -> None:
    made: list[str] = page.requests_made  # type: ignore[attr-defined]
    assert made
    elsewhere = [url for url in made if not url.startswith((server.origin + "/", "data:"))]
    assert elsewhere == []


def test_a_running_prediction_updates_to_succeeded_without_a_reload(
    page: Page, server: LocalServer, client: replicate_ext.Client
) -> None:
    server.state.queue_delay = 1.0  # real seconds before it can end, to see it change
    prediction = client.predictions.create(model="replicate/sleep", input={"seconds": 50})
    page.goto(prediction.urls.web)
    page.evaluate("window.stillTheSamePage = true")
    # A loaded machine may take the page past "starting" before it is read.
    assert page.text_content("#status") in ("starting", "processing")
    assert "No output yet." in page.text_content("#output")
    page.wait_for_selector("#status.succeeded")
    assert page.evaluate("window.stillTheSamePage") is True
    assert page.text_content("#output") == "Outputslept for 50 seconds"
    assert "Slept 50/50 seconds" in page.text_content("#logs")
    assert page.locator("#connection.on").count() == 1
    assert "succeeded" in page.title()
    only_this_server(page, server)


def test_images_load_and_tqdm_logs_show_a_progress_bar(
    page: Page, server: LocalServer, client: replicate_ext.Client
) -> None:
    images = client.run(
        "replicate/make-image", input={"num_outputs": 2, "num_inference_steps": 5, "width": 32}
    )
    page.goto(server.state.predictions[next(iter(server.state.predictions))].urls()["web"])
    shown = page.locator("#output img")
    assert shown.count() == 2
    for index in range(2):
        # The page's policy forbids evaluating strings: a function, then.
        shown.nth(index).evaluate("img => img.decode()")
    assert [shown.nth(i).get_attribute("src") for i in range(2)] == [str(i) for i in images]
    assert shown.nth(0).evaluate("img => img.naturalWidth") == 32
    assert page.get_attribute("#progress progress", "value") == "5"
    assert page.get_attribute("#progress progress", "max") == "5"
    assert "5/5 (100%)" in page.text_content("#progress")
    only_this_server(page, server)


def test_a_failed_prediction_shows_its_error_and_logs(
    page: Page, server: LocalServer, client: replicate_ext.Client
) -> None:
    with pytest.raises(replicate_ext.ModelError) as failed:
        client.run("replicate/fail", input={"message": "CUDA out of memory"})
    page.goto(f"{server.origin}/p/{failed.value.prediction_id}")
    assert page.text_content("#error pre") == "CUDA out of memory"
    assert page.text_content("#status") == "failed"
    assert "Running prediction" in page.text_content("#logs")


def test_the_root_lists_recent_predictions_newest_first_and_links_to_them(
    page: Page, server: LocalServer, client: replicate_ext.Client
) -> None:
    first = client.run("replicate/hello-world", input={"text": "one"})
    assert first == "hello one"
    page.goto(server.origin + "/")
    assert page.locator("#jobs a").count() == 1
    # It follows new predictions as they come.
    second = client.predictions.create(model="replicate/echo", input={"text": "two"})
    expect(page.locator("#jobs a")).to_have_count(2)
    assert page.locator("#jobs a").first.text_content() == second.id
    page.locator("#jobs a").first.click()
    page.wait_for_url(f"**/p/{second.id}")
    page.wait_for_selector("#status.succeeded")
    assert "echo" in page.text_content("h1")
    only_this_server(page, server)


def test_a_faked_model_page_links_external_files_and_never_loads_them(
    page: Page, server: LocalServer, client: replicate_ext.Client
) -> None:
    server.state.fake_model("acme/transcriber", MODELS / "transcriber-schema.json")
    server.state.fake_model("acme/draw", MODELS / "image-model.json")
    client.run("acme/transcriber", input={"audio": "https://example.com/talk.mp3"})
    (transcript,) = server.state.predictions
    page.goto(f"{server.origin}/p/{transcript}")
    assert page.locator("#input a[href='https://example.com/talk.mp3']").count() == 1
    assert page.locator("#output a").first.text_content() == "out-0.txt"
    assert "detected_language" in page.text_content("#output")
    only_this_server(page, server)
    # A data URL input is shown as an image: it is in the page, no request.
    pixel = "data:image/png;base64," + base64.b64encode(solid_png(1, 1, (9, 9, 9))).decode()
    prediction = client.predictions.create(model="acme/draw", input={"prompt": pixel})
    page.goto(prediction.urls.web)
    page.wait_for_selector("#status.succeeded")
    assert page.locator("#input img").count() == 1
    only_this_server(page, server)


def test_webhook_deliveries_are_shown_with_their_answers(
    page: Page, server: LocalServer, client: replicate_ext.Client
) -> None:
    prediction = client.predictions.create(
        model="replicate/hello-world",
        input={"text": "hook"},
        webhook=f"{server.origin}/nowhere",  # this server answers 404
        webhook_events_filter=["completed"],
    )
    page.goto(prediction.urls.web)
    row = page.locator("#webhooks table tr").nth(1)
    expect(row).to_contain_text("completed")
    row = row.text_content() or ""
    assert "completed" in row
    assert "404" in row


def test_a_training_has_a_page_too_and_an_unknown_id_a_404(
    page: Page, server: LocalServer, client: replicate_ext.Client
) -> None:
    server.state.add_model("test-user/tuned", lambda ctx: None)  # type: ignore[arg-type,return-value]
    training = client.trainings.create(
        "replicate/trainable:14ed0eb56eff4ed87b63925c200a181a4784a5535bce0117d2519e2db0a06164",
        destination="test-user/tuned",
        input={"steps": 2},
    )
    response = page.goto(training.urls.web)
    assert response is not None
    assert response.status == 200
    page.wait_for_selector("#status.succeeded")
    assert "Training" in page.text_content(".sub")
    assert "test-user/tuned" in page.text_content(".sub")
    missing = page.goto(f"{server.origin}/p/nope")
    assert missing is not None
    assert missing.status == 404
    assert page.text_content("h1") == "No such prediction"

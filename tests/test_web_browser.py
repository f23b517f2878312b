"""The page in a real browser (Debian's chromium + chromium-driver through Selenium): typing shows the
reading and the steps, a wrong line of a derivation gets ✗ and its mistake, nothing comes from outside."""
from __future__ import annotations

import json
import shutil

import pytest

pytest.importorskip("starlette", reason="the web extra is not installed: pip install 'gradwise[web]'")
webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (the dev extra has it)")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
if not (CHROMIUM and DRIVER):
    pytest.skip("no chromium/chromedriver: apt-get install chromium chromium-driver", allow_module_level=True)

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

from web_server import running_server  # noqa: E402

pytestmark = pytest.mark.xdist_group("browser")  # one page, one browser: the tests share it
WAIT = 120  # seconds: the machine may be busy


@pytest.fixture(scope="module")
def page():
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1100,900",
                "--disable-background-networking", "--disable-component-update", "--no-first-run"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    with running_server(jobs=2, limit=120.0) as url:
        driver = webdriver.Chrome(service=Service(DRIVER), options=options)
        try:
            driver.get(url + "/")
            yield driver, url
        finally:
            driver.quit()


def _type(driver, element_id: str, text: str) -> None:
    box = driver.find_element(By.ID, element_id)
    box.clear()
    box.send_keys(text)


def test_typing_an_expression_shows_its_reading_and_its_steps(page):
    driver, _ = page
    _type(driver, "expression", "x^3 cos(x)")
    wait = WebDriverWait(driver, WAIT)
    wait.until(lambda d: "x³·cos(x)" in d.find_element(By.ID, "reading").text)
    wait.until(lambda d: "Product rule" in d.find_element(By.ID, "solution").text)
    assert driver.find_elements(By.CSS_SELECTOR, "#solution .step")
    _type(driver, "expression", "x^3 cos(x")
    wait.until(lambda d: "expected ')'" in d.find_element(By.ID, "reading").text)
    assert "^" in driver.find_element(By.CSS_SELECTOR, "#reading pre").text


def _type_lines(driver, text: str) -> None:
    """Type a derivation as a person does: into the first line, Enter starting each next one."""
    driver.execute_script("setDerivation('')")
    driver.find_element(By.CSS_SELECTOR, "#derivation .line-input").send_keys(text)


def test_a_wrong_line_of_a_derivation_gets_a_cross_in_its_margin_and_its_mistake_under_it(page):
    driver, _ = page
    driver.find_element(By.CSS_SELECTOR, '#modes button[data-mode="check"]').click()
    _type_lines(driver, "\\frac{d}{dx} x^2 = 2x\n\\frac{d}{dx} \\sin(x^2) = \\cos(x^2)\n= \\cos(x^2)")
    wait = WebDriverWait(driver, WAIT)
    rows = driver.find_elements(By.CSS_SELECTOR, "#derivation .line-row .line-input")
    assert [r.get_attribute("value") for r in rows] == ["\\frac{d}{dx} x^2 = 2x", "\\frac{d}{dx} \\sin(x^2) = \\cos(x^2)",
                                                        "= \\cos(x^2)"]
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, '#derivation .line-row[data-line="2"] + .line-note.bad'))
    marks = [m.text for m in driver.find_elements(By.CSS_SELECTOR, "#derivation .line-row .mark")]
    assert marks == ["✓", "✗", "✓"]
    wrong = driver.find_element(By.CSS_SELECTOR, '#derivation .line-row[data-line="2"] + .line-note').text
    assert "Mistake (chain inner factor)" in wrong and "inner factor 2x is missing" in wrong
    assert "Counterexample at x = " in wrong
    notes = driver.find_elements(By.CSS_SELECTOR, "#derivation .line-note")
    assert [n.get_attribute("data-line") for n in notes] == ["2"]   # nothing under the valid lines


def test_the_line_editor_splits_and_joins_lines_as_a_text_box_does(page):
    from selenium.webdriver.common.keys import Keys

    driver, _ = page
    driver.find_element(By.CSS_SELECTOR, '#modes button[data-mode="check"]').click()
    _type_lines(driver, "a = b\nc = d")
    third = driver.switch_to.active_element
    third.send_keys(Keys.HOME, Keys.BACKSPACE)          # joins line 2 to line 1, the caret between them
    assert driver.execute_script("return derivationText()") == "a = bc = d"
    driver.switch_to.active_element.send_keys(Keys.ENTER)   # splits it again at the caret
    assert driver.execute_script("return derivationText()") == "a = b\nc = d"
    assert driver.switch_to.active_element.get_attribute("aria-label") == "line 2"


def test_nothing_is_requested_from_outside_127_0_0_1(page):
    driver, url = page
    driver.find_element(By.CSS_SELECTOR, '#modes button[data-mode="diff"]').click()
    _type(driver, "expression", "sin(x) + x^2")   # the page asks its API, whichever tests ran before
    WebDriverWait(driver, WAIT).until(lambda d: "sin(x)" in d.find_element(By.ID, "reading").text)
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    assert any(u.startswith(url + "/api/") for u in urls)
    assert [u for u in urls if not (u.startswith(url + "/") or u.startswith(("data:", "blob:")))] == []


def test_practice_shows_a_problem_a_hint_the_named_mistake_and_the_solution(page):
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select

    driver, _ = page
    driver.find_element(By.CSS_SELECTOR, '#modes button[data-mode="practice"]').click()
    wait = WebDriverWait(driver, WAIT)
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, '#topic option[value="chain_rule"]'))
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#problem .prompt-math math"))
    Select(driver.find_element(By.ID, "level")).select_by_value("2")
    _type(driver, "seed", "7")
    Select(driver.find_element(By.ID, "topic")).select_by_value("chain_rule")   # asks for the problem
    wait.until(lambda d: "sin(5x² + 2x)" in d.find_element(By.CSS_SELECTOR, "#problem .prompt").text)
    driver.find_element(By.ID, "hint").click()
    wait.until(lambda d: "Hint 1/" in d.find_element(By.ID, "problem").text)
    assert driver.find_elements(By.CSS_SELECTOR, "#problem .response.hint math")
    answer = driver.find_element(By.ID, "answer")
    wait.until(lambda d: answer.is_enabled())
    answer.send_keys("-cos(5x^2 + 2x)", Keys.ENTER)
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#problem .response.wrong"))
    assert "Mistake: chain inner factor" in driver.find_element(By.CSS_SELECTOR, "#problem .response.wrong").text
    assert not driver.find_elements(By.CSS_SELECTOR, "#solution .worked")   # one wrong answer: try again
    driver.find_element(By.ID, "show-solution").click()
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#solution .worked .gradwise"))
    assert not driver.find_element(By.ID, "answer").is_enabled()
    driver.find_element(By.ID, "next").click()
    wait.until(lambda d: d.find_element(By.ID, "seed").get_attribute("value") != "7"
               and 'data-index="2"' in d.find_element(By.ID, "problem").get_attribute("innerHTML"))
    assert driver.find_element(By.ID, "answer").is_enabled()

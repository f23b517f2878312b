"""The note's screenshots of the page, taken with the browser the tests use (chromium + chromedriver):
a derivative, a check with an error, a matrix gradient, a practice problem with hints.

    PYTHONPATH=$PWD python tests/web_screenshots.py [diff check matgrad practice]
"""
import os
import shutil
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait, Select
from web_server import running_server

OUT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "docs", "notes", "img") + os.sep
options = webdriver.ChromeOptions()
options.binary_location = shutil.which("chromium") or shutil.which("chromium-browser")
for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1100,900", "--hide-scrollbars"):
    options.add_argument(arg)
def main():
    which = sys.argv[1:] or ["diff", "check", "matgrad", "practice"]
    with running_server(jobs=2, limit=120.0) as url:
        d = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
        w = WebDriverWait(d, 120)
        d.get(url + "/")
        def typ(i, t):
            e = d.find_element(By.ID, i); e.clear(); e.send_keys(t)
        def shot(name, height=None):
            h = height or d.execute_script("return document.documentElement.scrollHeight")
            d.set_window_size(1100, min(max(h, 600), 2400))
            time.sleep(0.5)
            d.save_screenshot(OUT + name)
            d.set_window_size(1100, 900)
            print("saved", name, h)
        if "diff" in which:
            typ("expression", "sigmoid(w x + b)"); typ("wrt", "w")
            time.sleep(1); w.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#solution .step") and not d.find_elements(By.CSS_SELECTOR, "#solution.stale") and not d.find_element(By.ID, "status").text)
            time.sleep(1); shot("web-derivative.png")
        if "check" in which:
            d.find_element(By.CSS_SELECTOR, '#modes button[data-mode="check"]').click()
            d.execute_script("setDerivation('')")
            d.find_element(By.CSS_SELECTOR, "#derivation .line-input").send_keys(
                "\\frac{d}{dx} x^2 \\sin(x) = 2x \\sin(x) + x^2 \\cos(x)\n\\frac{d}{dx} \\sin(x^2) = \\cos(x^2)\n\\frac{d}{dx} e^{3x} = 3 e^{3x}")
            w.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#derivation .line-note.bad"))
            time.sleep(3); shot("web-check.png")
        if "matgrad" in which:
            d.find_element(By.CSS_SELECTOR, '#modes button[data-mode="matgrad"]').click()
            typ("expression", "(A x - b)^T (A x - b)"); typ("wrt", "x")
            w.until(lambda d: "(A x - b)" in d.find_element(By.ID, "reading").text or "Aˣ" in d.find_element(By.ID, "reading").text or d.find_element(By.ID, "reading").text)
            w.until(lambda d: d.find_element(By.ID, "solution").text and not d.find_element(By.ID, "solution").get_attribute("class"))
            time.sleep(2); shot("web-matgrad.png")
        if "practice" in which:
            d.find_element(By.CSS_SELECTOR, '#modes button[data-mode="practice"]').click()
            w.until(lambda d: d.find_elements(By.CSS_SELECTOR, '#topic option[value="chain_rule"]'))
            w.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#problem .prompt"))
            Select(d.find_element(By.ID, "level")).select_by_value("2")
            typ("seed", "7")
            Select(d.find_element(By.ID, "topic")).select_by_value("chain_rule")
            w.until(lambda d: "sin(5x² + 2x)" in d.find_element(By.CSS_SELECTOR, "#problem .prompt").text)
            w.until(lambda d: d.find_element(By.ID, "hint").is_enabled()); d.find_element(By.ID, "hint").click()
            w.until(lambda d: "Hint 1/" in d.find_element(By.ID, "problem").text)
            w.until(lambda d: d.find_element(By.ID, "answer").is_enabled())
            d.find_element(By.ID, "answer").send_keys("-cos(5x^2 + 2x)", Keys.ENTER)
            w.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#problem .response.wrong"))
            w.until(lambda d: d.find_element(By.ID, "hint").is_enabled()); d.find_element(By.ID, "hint").click()
            w.until(lambda d: "Hint 2/" in d.find_element(By.ID, "problem").text)
            time.sleep(1); shot("web-practice.png")
        d.quit()


if __name__ == "__main__":
    main()

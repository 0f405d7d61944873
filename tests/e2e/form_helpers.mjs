// Form-filling steps shared by the browser tests. Each takes the Playwright page.

export const fieldOf = (page, key) => page.locator(`[data-field="${key}"]`);

/** Answer every required choice question of the current section that has no answer yet. */
export async function answerRequiredChoices(page) {
  const groups = page.locator("fieldset.field:has(.required)");
  for (let i = 0; i < (await groups.count()); i++) {
    const group = groups.nth(i);
    if (await group.locator("input:checked").count()) continue;
    const select = group.locator("select");
    if (await select.count()) {
      await select.first().selectOption((await select.first().locator("option").nth(1).getAttribute("value")) ?? "");
    } else await group.locator("input").first().check();
  }
}

/** Cascade through the location field: pick the first option at each level until there is no deeper one. */
export async function chooseLocation(page) {
  for (let level = 0; level < 5; level++) {
    const selects = fieldOf(page, "location").locator("select");
    if (level >= (await selects.count())) break;
    const select = selects.nth(level);
    await select.selectOption(await select.locator("option").nth(1).getAttribute("value"));
    await page.waitForTimeout(50);
  }
}

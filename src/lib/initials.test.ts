import { describe, expect, it } from "vitest";
import { initials } from "./initials";

describe("initials", () => {
  it.each([
    ["Tom Becker (CISO)", null, "TB"],
    ["Ada Lovelace", "ada@example.com", "AL"],
    ["Ada Admin", "dev@example.com", "AA"],
    ["Jean-Luc Picard", null, "JP"],
    ["Maria de la Cruz", null, "MC"],
    ["  Ada  ", null, "A"],
    ["Élodie Ørsted", null, "ÉØ"],
    ["E\u0301lodie Durand", null, "ÉD"],
    ["王小明", null, "王"],
    ["'Ada' \"Lovelace\"", null, "AL"],
    ["Ada Lovelace [she/her]", null, "AL"],
    ["Ada 👩‍💻 Lovelace 2", null, "AL"],
    ["ögün yılmaz", null, "ÖY"],
  ])("name %j (e-mail %j) is %j", (name, email, expected) => {
    expect(initials(name, email)).toBe(expected);
  });

  it.each([
    [null, "ada.lovelace@example.com", "AL"],
    ["", "dev@example.com", "D"],
    ["(CISO)", "tom_becker@example.com", "TB"],
    ["  ", "first+tag@example.com", "FT"],
    ["ada.lovelace@example.com", null, "AL"],
    ["---", "", "?"],
    [undefined, undefined, "?"],
  ])("without letters in the name %j, from the e-mail %j: %j", (name, email, expected) => {
    expect(initials(name, email)).toBe(expected);
  });
});

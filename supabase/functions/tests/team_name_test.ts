// The team name rule (_shared/team_name.ts) by itself: what shows as blank is refused, what people write is kept.
import assert from "node:assert/strict";
import { teamNameProblem } from "../_shared/team_name.ts";

Deno.test("team names made only of marks, fillers or invisible selectors are refused (they show as blank)", () => {
  for (const name of ["\u034F", "\uFE0F", "\u{E0100}", "\u180B", "\u17B4", "\u0300", "\u0300\u0301\u0302", "\u3164", "\u2800"]) {
    assert.equal(teamNameProblem(name), "name must contain at least one visible character.", JSON.stringify(name));
  }
});

Deno.test("team names people write are kept: accents, emoji with selectors and joiners, other scripts", () => {
  for (const name of ["Demo Team", "Cafe\u0301 Crew", "\u2764\uFE0F Sales", "\u{1F468}\u200D\u{1F469}\u200D\u{1F467} Family", "\u65E5\u672C\u30C1\u30FC\u30E0", "\u0939\u093F\u0928\u094D\u0926\u0940"]) {
    assert.equal(teamNameProblem(name), null, JSON.stringify(name));
  }
});

import assert from "node:assert/strict";
import test from "node:test";

import { dragTarget } from "../src/keyframes.js";

const keyframes = [{ frame: 0 }, { frame: 4 }, { frame: 8 }];

test("a dragged keyframe stops short of its neighbours instead of jumping over them", () => {
  assert.equal(dragTarget(keyframes, 4, 12), 7);
  assert.equal(dragTarget(keyframes, 4, 0), 1);
  assert.equal(dragTarget(keyframes, 4, 6), 6);
  assert.equal(dragTarget(keyframes, 8, 40), 40); // the last one may go on
  assert.equal(dragTarget(keyframes, 0, -3), 0);
  assert.equal(dragTarget(keyframes, 0, 9), 3);
});

import { applyMain } from "../index.js";

await applyMain();

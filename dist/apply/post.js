import { applyPost } from "../index.js";

await applyPost();

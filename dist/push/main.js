import { pushMain } from "../index.js";

await pushMain();

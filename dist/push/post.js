import { pushPost } from "../index.js";

await pushPost();

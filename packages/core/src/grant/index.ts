export * from "./grant";

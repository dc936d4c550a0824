// The dashboard's stylesheet, served inline with the page's CSP nonce.
import { baseStyles } from "./styles/base.ts";
import { runStyles } from "./styles/run.ts";

export const styles = baseStyles + runStyles;

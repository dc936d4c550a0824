// The one exception that ends a pass from inside the driver.

/** Ends a pass from inside the driver for a reason no user `catch` may swallow. */
export class PassAbort extends Error {}

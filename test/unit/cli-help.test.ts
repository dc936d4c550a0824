// Every `cairn` command's help ends with examples, and every command can be reached from the root.
import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import { createProgram } from "../../cli/program.ts";

/** Each command below `command`, with its full name (`runs events`). */
function walk(command: Command, prefix: string[] = []): { name: string; command: Command }[] {
  return command.commands.flatMap((sub) => {
    const name = [...prefix, sub.name()];
    return [{ name: name.join(" "), command: sub }, ...walk(sub, name)];
  });
}

/** The help as `--help` prints it, with the text added after it. */
function helpOf(command: Command): string {
  let text = "";
  command.configureOutput({ writeOut: (s) => (text += s), writeErr: (s) => (text += s) });
  command.outputHelp();
  return text;
}

describe("cairn --help", () => {
  const program = createProgram();
  const commands = walk(program);

  it("has the commands of the issue", () => {
    const names = commands.map((c) => c.name);
    for (const name of [
      "runs events",
      "runs retry",
      "runs rerun",
      "runs cancel",
      "workflows pause",
      "workflows resume",
      "subscriptions list",
      "subscriptions create",
      "subscriptions enable",
      "subscriptions disable",
      "subscriptions delete",
      "agents list",
      "agents prompt",
      "agents sessions",
      "triggers failures",
      "dev",
    ])
      expect(names).toContain(name);
  });

  it("ends every command's help with examples", () => {
    const missing = [{ name: "cairn", command: program }, ...commands]
      .filter(({ command }) => !/\nExamples?:\n {2}\$ (npx )?cairn /.test(helpOf(command)))
      .map(({ name }) => name);
    expect(missing).toEqual([]);
  });
});

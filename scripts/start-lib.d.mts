// Types of scripts/start-lib.mjs for the TypeScript tests in electron/test/.
export const SOURCES: string[];
export function buildOutputs(root: string): string[];
export function needsBuild(root: string): { build: boolean; reason: string };
export function newestMtime(target: string): { mtimeMs: number; file: string };
export type ElectronLookup = { ok: true; path: string } | { ok: false; reason: string };
export function findElectron(root: string, env?: NodeJS.ProcessEnv, platform?: NodeJS.Platform): ElectronLookup;
export function launchDecision(input: { electron: ElectronLookup; env?: NodeJS.ProcessEnv; platform?: NodeJS.Platform }):
  | { mode: 'electron'; path: string }
  | { mode: 'headless'; reason: string };
export function portFromEnv(env: NodeJS.ProcessEnv, name: string): number | undefined;
export function headlessCommand(input: { root: string; env?: NodeJS.ProcessEnv; cwd?: string }): { args: string[]; dataDir: string };
export function electronEnv(env: NodeJS.ProcessEnv, nodePath: string): NodeJS.ProcessEnv;
export function consoleUrlFrom(line: string): string | null;
export function portalUrlFrom(line: string): string | null;
export function readyMessage(consoleUrl: string, setup: { needsSetup?: boolean } | null, dataDir: string): string;

// The first-start setup page (ce-setup://setup/index.html): embedded server or the agency's server.
// It reaches the main process through `window.ceSetup` (electron/preload/setup-preload.ts) only.
import type { SetupApi, SetupProbeView } from '../../common/setup-channels';

declare global {
  interface Window {
    ceSetup: SetupApi;
  }
}

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const api = window.ceSetup;
let probed: SetupProbeView | null = null;

function say(text: string): void {
  $('message').textContent = text;
}

function mode(): 'embedded' | 'connect' {
  return (document.querySelector<HTMLInputElement>('input[name="mode"]:checked')?.value as 'embedded' | 'connect') ?? 'embedded';
}

function syncMode(): void {
  const connect = mode() === 'connect';
  $<HTMLInputElement>('server-url').disabled = !connect;
  $<HTMLInputElement>('serve-network').disabled = connect;
}

function busy(on: boolean): void {
  for (const id of ['continue', 'connect', 'back']) $<HTMLButtonElement>(id).disabled = on;
}

function showConfirm(view: SetupProbeView): void {
  probed = view;
  $('c-origin').textContent = view.adminOrigin;
  $('c-name').textContent = view.name;
  $('c-version').textContent = view.version;
  $('c-fingerprint').textContent = view.fingerprint;
  const trust = $('c-trust');
  trust.textContent = view.caTrusted
    ? 'The certificate is signed by an authority this computer trusts.'
    : 'The certificate is not signed by an authority this computer trusts (for example, self-signed). The app will accept this certificate only, and warn if it ever changes.';
  trust.className = view.caTrusted ? '' : 'warning';
  $('pin-row').hidden = !view.caTrusted;
  $<HTMLInputElement>('pin').checked = false;
  $('choice').hidden = true;
  $('confirm').hidden = false;
}

async function onContinue(event: Event): Promise<void> {
  event.preventDefault();
  say('');
  busy(true);
  try {
    if (mode() === 'embedded') {
      const reply = await api.chooseEmbedded($<HTMLInputElement>('serve-network').checked);
      if (!reply.ok) say(reply.message);
      return;
    }
    const reply = await api.probe($<HTMLInputElement>('server-url').value);
    if (reply.ok) showConfirm(reply.value);
    else say(reply.message);
  } finally {
    busy(false);
  }
}

async function onConnect(): Promise<void> {
  if (!probed) return;
  say('');
  busy(true);
  try {
    const reply = await api.connect(probed.adminOrigin, probed.fingerprint, $<HTMLInputElement>('pin').checked);
    if (!reply.ok) say(reply.message);
  } finally {
    busy(false);
  }
}

async function init(): Promise<void> {
  for (const radio of document.querySelectorAll<HTMLInputElement>('input[name="mode"]')) radio.addEventListener('change', syncMode);
  $('choice').addEventListener('submit', (e) => void onContinue(e));
  $('connect').addEventListener('click', () => void onConnect());
  $('back').addEventListener('click', () => {
    probed = null;
    $('confirm').hidden = true;
    $('choice').hidden = false;
  });
  const current = await api.current();
  if (current.ok && current.value) {
    const value = current.value;
    const radio = document.querySelector<HTMLInputElement>(`input[name="mode"][value="${value.mode}"]`);
    if (radio) radio.checked = true;
    if (value.mode === 'connect') $<HTMLInputElement>('server-url').value = value.adminOrigin;
    else $<HTMLInputElement>('serve-network').checked = value.serveAdsToNetwork;
  }
  syncMode();
}

void init();

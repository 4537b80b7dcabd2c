/**
 * The HTML of the sandbox's sign-in, consent and device pages: plain forms that work without JavaScript, every
 * value escaped, each form carrying its one-use CSRF token.
 */

/** What each scope lets the app do, in the seed's words. */
export const SCOPE_LABELS: Readonly<Record<string, string>> = {
  'printers:read': 'View printer information',
  'printers:write': 'Control printers',
  'jobs:read': 'View jobs',
  'jobs:write': 'Create and manage jobs',
  'analytics:read': 'Access analytics data',
  'webhooks:write': 'Manage webhooks',
  'admin:*': 'Full administrative access',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const STYLE = `body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;background:#f4f5f7;color:#1c2330;margin:0}
main{max-width:26rem;margin:3rem auto;background:#fff;border-radius:10px;box-shadow:0 2px 12px #0002;padding:2rem}
h1{font-size:1.35rem;margin:0 0 .25rem}p.sub{color:#5b6576;margin:.25rem 0 1.25rem}
label{display:block;margin:.6rem 0 .2rem;font-weight:600}input[type=email],input[type=password],input[type=text]{width:100%;box-sizing:border-box;padding:.55rem;border:1px solid #c5cbd6;border-radius:6px;font-size:1rem}
fieldset{border:1px solid #dde1e8;border-radius:6px;margin:1rem 0;padding:.5rem 1rem}legend{font-weight:600}
fieldset label{font-weight:400;display:flex;gap:.5rem;align-items:baseline}code{background:#eef0f4;padding:0 .25rem;border-radius:3px}
.error{background:#fdecea;color:#8a1c12;border-radius:6px;padding:.6rem .8rem;margin:0 0 1rem}
.buttons{display:flex;gap:.75rem;margin-top:1.25rem}button{flex:1;padding:.65rem;font-size:1rem;border-radius:6px;border:1px solid #c5cbd6;background:#fff;cursor:pointer}
button.primary{background:#1f6feb;border-color:#1f6feb;color:#fff}.code{font-family:ui-monospace,monospace;font-size:1.4rem;letter-spacing:.15em}`;

export function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)} — AutoPrintFarm</title><style>${STYLE}</style></head>
<body><main>${body}</main></body></html>`;
}

const hiddenFields = (fields: Readonly<Record<string, string>>): string =>
  Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('\n');

const errorBlock = (error: string | undefined): string => (error === undefined ? '' : `<p class="error" role="alert">${escapeHtml(error)}</p>`);

/** Sign-in and consent in one form: the user's email and password, one checkbox per requested scope, Allow or Deny. */
export function consentPage(opts: {
  action: string;
  csrf: string;
  hidden: Readonly<Record<string, string>>;
  scopes: readonly string[];
  /** Scopes left ticked (by default all of them). */
  ticked?: readonly string[];
  email?: string;
  error?: string;
  /** A device flow shows the code the user should compare with the device's. */
  userCode?: string;
}): string {
  const ticked = opts.ticked ?? opts.scopes;
  const boxes = opts.scopes
    .map(
      (scope) =>
        `<label><input type="checkbox" name="grant" value="${escapeHtml(scope)}"${ticked.includes(scope) ? ' checked' : ''}> <span><code>${escapeHtml(scope)}</code> ${escapeHtml(SCOPE_LABELS[scope] ?? '')}</span></label>`,
    )
    .join('\n');
  const device = opts.userCode === undefined ? '' : `<p>Check that your device shows this code:</p><p class="code">${escapeHtml(opts.userCode)}</p>`;
  return layout(
    'Sign in',
    `<h1>Sign in with AutoPrintFarm</h1>
<p class="sub"><strong>AutoPrintFarm Desktop</strong> wants to access your farm.</p>
${errorBlock(opts.error)}${device}
<form method="post" action="${escapeHtml(opts.action)}">
<input type="hidden" name="csrf_token" value="${escapeHtml(opts.csrf)}">
${hiddenFields(opts.hidden)}
<label for="email">Email</label><input id="email" type="email" name="email" autocomplete="username" value="${escapeHtml(opts.email ?? '')}">
<label for="password">Password</label><input id="password" type="password" name="password" autocomplete="current-password">
<fieldset><legend>Allow it to</legend>
${boxes}
</fieldset>
<div class="buttons"><button type="submit" name="decision" value="deny">Deny</button><button class="primary" type="submit" name="decision" value="approve">Allow</button></div>
</form>`,
  );
}

/** RFC 8628 §3.3: where the user types the code their device shows. */
export function deviceEntryPage(opts: { csrf: string; userCode?: string; error?: string }): string {
  return layout(
    'Connect a device',
    `<h1>Connect a device</h1>
<p class="sub">Enter the code shown on the device or in <code>apf login</code>.</p>
${errorBlock(opts.error)}
<form method="post" action="/oauth/device">
<input type="hidden" name="csrf_token" value="${escapeHtml(opts.csrf)}">
<input type="hidden" name="step" value="code">
<label for="user_code">Code</label><input id="user_code" class="code" type="text" name="user_code" autocomplete="off" autocapitalize="characters" placeholder="XXXX-XXXX" value="${escapeHtml(opts.userCode ?? '')}">
<div class="buttons"><button class="primary" type="submit">Continue</button></div>
</form>`,
  );
}

export function messagePage(title: string, message: string): string {
  return layout(title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>`);
}

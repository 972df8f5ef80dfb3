// Browser half of the NiceGUI Authenticator: WebAuthn ceremonies, external
// (federated) form posts and clipboard copies. Loaded on demand with import()
// by nicegui_authenticator.ui.browser_calls; every function resolves to plain
// JSON data and never throws, so the Python side always gets an answer.

const toBuffer = (value) => {
  if (value instanceof ArrayBuffer) return value;
  if (ArrayBuffer.isView(value)) return value.buffer;
  const base64 = String(value).replace(/-/g, "+").replace(/_/g, "/");
  const padded = base64 + "=".repeat((4 - (base64.length % 4)) % 4);
  const binary = atob(padded);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes.buffer;
};

const toBase64url = (buffer) => {
  if (buffer === null || buffer === undefined) return undefined;
  const bytes = new Uint8Array(buffer instanceof ArrayBuffer ? buffer : buffer.buffer);
  let binary = "";
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
};

const decodeDescriptors = (list) =>
  Array.isArray(list) ? list.map((d) => ({ ...d, id: toBuffer(d.id) })) : list;

function creationOptions(json) {
  if (typeof PublicKeyCredential.parseCreationOptionsFromJSON === "function") {
    try {
      return PublicKeyCredential.parseCreationOptionsFromJSON(json);
    } catch (e) {
      // fall through to the manual decoding (servers add fields the parser rejects)
    }
  }
  const options = { ...json, challenge: toBuffer(json.challenge) };
  if (json.user) options.user = { ...json.user, id: toBuffer(json.user.id) };
  if (json.excludeCredentials) options.excludeCredentials = decodeDescriptors(json.excludeCredentials);
  return options;
}

function requestOptions(json) {
  if (typeof PublicKeyCredential.parseRequestOptionsFromJSON === "function") {
    try {
      return PublicKeyCredential.parseRequestOptionsFromJSON(json);
    } catch (e) {
      // fall through
    }
  }
  const options = { ...json, challenge: toBuffer(json.challenge) };
  if (json.allowCredentials) options.allowCredentials = decodeDescriptors(json.allowCredentials);
  return options;
}

function credentialJSON(credential) {
  if (typeof credential.toJSON === "function") {
    try {
      return credential.toJSON();
    } catch (e) {
      // fall through to the manual encoding
    }
  }
  const r = credential.response;
  const response = { clientDataJSON: toBase64url(r.clientDataJSON) };
  if (r.attestationObject) {
    response.attestationObject = toBase64url(r.attestationObject);
    if (typeof r.getTransports === "function") response.transports = r.getTransports();
    if (typeof r.getPublicKey === "function") response.publicKey = toBase64url(r.getPublicKey());
    if (typeof r.getPublicKeyAlgorithm === "function") response.publicKeyAlgorithm = r.getPublicKeyAlgorithm();
    if (typeof r.getAuthenticatorData === "function") response.authenticatorData = toBase64url(r.getAuthenticatorData());
  }
  if (r.authenticatorData && !response.authenticatorData) response.authenticatorData = toBase64url(r.authenticatorData);
  if (r.signature) response.signature = toBase64url(r.signature);
  if (r.userHandle) response.userHandle = toBase64url(r.userHandle);
  return {
    id: credential.id,
    rawId: toBase64url(credential.rawId),
    type: credential.type,
    authenticatorAttachment: credential.authenticatorAttachment || undefined,
    clientExtensionResults: credential.getClientExtensionResults ? credential.getClientExtensionResults() : {},
    response,
  };
}

// The autofill request (conditional mediation) waiting in the username field, if any: its
// AbortController and the promise that settles once it has ended. A browser runs one
// WebAuthn request at a time, so every other ceremony ends it first.
let autofill = null;

export async function stopAutofill() {
  const running = autofill;
  autofill = null;
  if (running) {
    running.controller.abort();
    await running.ended;
  }
  return true;
}

// The server's options (bare or wrapped in {publicKey}), or the answer to give when unreadable.
function readOptions(optionsJson) {
  let json;
  try {
    json = JSON.parse(optionsJson);
  } catch (e) {
    return { unreadable: { status: "failed", detail: "the server sent unreadable passkey options" } };
  }
  return { json: json && json.publicKey ? json.publicKey : json };
}

export async function autofillCeremony(optionsJson) {
  // Resolves when the person picks a passkey from the username field's suggestions (or the
  // request ends): never blocks the page, and stopAutofill() ends it at once.
  await stopAutofill();
  if (
    !window.PublicKeyCredential ||
    typeof PublicKeyCredential.isConditionalMediationAvailable !== "function" ||
    !(await PublicKeyCredential.isConditionalMediationAvailable())
  ) {
    return { status: "unavailable", detail: "this browser offers no passkey autofill" };
  }
  const { json, unreadable } = readOptions(optionsJson);
  if (unreadable) return unreadable;
  const controller = new AbortController();
  let finish;
  const mine = { controller, ended: new Promise((resolve) => (finish = resolve)) };
  autofill = mine;
  try {
    const credential = await navigator.credentials.get({
      publicKey: requestOptions(json),
      mediation: "conditional",
      signal: controller.signal,
    });
    if (!credential) return { status: "cancelled", detail: "" };
    return { status: "ok", credential: JSON.stringify(credentialJSON(credential)) };
  } catch (e) {
    const name = (e && e.name) || "Error";
    return { status: name === "AbortError" ? "cancelled" : "failed", detail: `${name}: ${(e && e.message) || e}` };
  } finally {
    if (autofill === mine) autofill = null;
    finish();
  }
}

export async function ceremony(kind, optionsJson) {
  if (!window.PublicKeyCredential || !navigator.credentials) {
    return { status: "unavailable", detail: "this browser has no WebAuthn support" };
  }
  const { json, unreadable } = readOptions(optionsJson);
  if (unreadable) return unreadable;
  await stopAutofill();
  try {
    const credential =
      kind === "create"
        ? await navigator.credentials.create({ publicKey: creationOptions(json) })
        : await navigator.credentials.get({ publicKey: requestOptions(json) });
    if (!credential) return { status: "cancelled", detail: "" };
    return { status: "ok", credential: JSON.stringify(credentialJSON(credential)) };
  } catch (e) {
    const name = (e && e.name) || "Error";
    const detail = `${name}: ${(e && e.message) || e}`;
    if (name === "NotAllowedError" || name === "AbortError") return { status: "cancelled", detail };
    if (name === "NotSupportedError" || name === "SecurityError") return { status: "unavailable", detail };
    return { status: "failed", detail };
  }
}

export function submitForm(url, method, fields) {
  // The URL was checked on the server (http/https only); values go in as
  // DOM properties, never as HTML.
  const form = document.createElement("form");
  form.method = method;
  form.action = url;
  form.style.display = "none";
  for (const [name, value] of Object.entries(fields)) {
    const input = document.createElement("input");
    input.type = "hidden";
    input.name = name;
    input.value = value;
    form.appendChild(input);
  }
  document.body.appendChild(form);
  // Answer first, then leave: the page may unload before a later reply could go out.
  setTimeout(() => form.submit(), 0);
  return true;
}

export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch (e) {
    // Clipboard API needs a secure context; fall back to a selection copy.
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    let ok = false;
    try {
      ok = document.execCommand("copy");
    } catch (err) {
      ok = false;
    }
    document.body.removeChild(area);
    return ok;
  }
}

// Browser session mode: the person's browser makes the setAuthState call, so the
// backend's session cookie is stored by the browser, for the backend's own site.
// Answers {status, contentType, body} or {failure, detail}; the reply is read
// chunk by chunk and abandoned past maxBytes, as the Python transport does.
export async function rpc(url, body, timeoutMs, maxBytes) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetch(url, {
      method: "POST",
      credentials: "include",
      cache: "no-store",
      redirect: "error",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body,
      signal: controller.signal,
    });
    const status = response.status;
    const contentType = response.headers.get("content-type") || "";
    const declared = Number(response.headers.get("content-length") || "0");
    if (declared > maxBytes) {
      controller.abort();
      return { status, contentType, tooLarge: true };
    }
    const chunks = [];
    let size = 0;
    if (response.body) {
      const reader = response.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.length;
        if (size > maxBytes) {
          controller.abort();
          return { status, contentType, tooLarge: true };
        }
        chunks.push(value);
      }
    }
    const bytes = new Uint8Array(size);
    let offset = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, offset);
      offset += chunk.length;
    }
    return { status, contentType, body: new TextDecoder().decode(bytes) };
  } catch (e) {
    const name = (e && e.name) || "Error";
    // fetch rejects with a TypeError for network failures and for CORS refusals alike.
    return { failure: name === "AbortError" ? "read_timeout" : "network", detail: `${name}: ${(e && e.message) || e}` };
  } finally {
    clearTimeout(timer);
  }
}

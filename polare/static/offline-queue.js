// The walk logs saved on the phone without a signal (IndexedDB), and sending them to Polare.
// Loaded by the pages and by the service worker (Background Sync), so both send the same way.
(function (scope) {
  "use strict";

  const DB_NAME = "polare-offline";
  const STORE = "entries";
  const CHANNEL = "polare-offline";
  const OFFLINE_HEADER = "X-Polare-Offline";
  const PAGES_URL = "/walks/offline-pages";
  // Fields the queue sets itself when it sends an entry.
  const OWN_FIELDS = ["csrf_token", "submission_key", "version"];

  function openDb() {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "key" });
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  async function inStore(mode, action) {
    const db = await openDb();
    return new Promise((resolve, reject) => {
      const transaction = db.transaction(STORE, mode);
      const request = action(transaction.objectStore(STORE));
      transaction.oncomplete = () => { db.close(); resolve(request.result); };
      transaction.onerror = transaction.onabort = () => { db.close(); reject(transaction.error); };
    });
  }

  function changed() {
    if (scope.BroadcastChannel) {
      const channel = new BroadcastChannel(CHANNEL);
      channel.postMessage("changed");
      channel.close();
    }
  }

  const all = () => inStore("readonly", (store) => store.getAll());
  const put = (entry) => inStore("readwrite", (store) => store.put(entry)).then(changed);
  const remove = (key) => inStore("readwrite", (store) => store.delete(key)).then(changed);
  const clear = () => inStore("readwrite", (store) => store.clear()).then(changed);

  // A new one-time key made on the phone: a uuid4 as 32 hex digits, as the server's keys.
  function newKey() {
    return scope.crypto.randomUUID().replace(/-/g, "");
  }

  // A fresh form token from the server; null without a signal or a session.
  async function freshToken() {
    try {
      const response = await fetch(PAGES_URL, {
        credentials: "same-origin", headers: { Accept: "application/json" },
      });
      const type = response.headers.get("Content-Type") || "";
      if (!response.ok || response.redirected || !type.includes("json")) {
        return null;
      }
      return (await response.json()).csrf_token;
    } catch (error) {
      return null;
    }
  }

  function bodyOf(entry, token) {
    const body = new URLSearchParams();
    for (const [name, value] of entry.fields) {
      if (!OWN_FIELDS.includes(name)) {
        body.append(name, value);
      }
    }
    body.append("csrf_token", token);
    body.append("submission_key", entry.key);
    body.append("version", String(entry.version));
    return body;
  }

  function problemOf(answer) {
    if (answer.message) {
      return answer.message;
    }
    return Object.values(answer.errors || {}).flat().join(" ");
  }

  // Send one entry; "saved", "conflict", "refused", or "unsent" (no signal or no session).
  async function sendOne(entry, token) {
    let response;
    try {
      response = await fetch(entry.sendUrl, {
        method: "POST", body: bodyOf(entry, token), credentials: "same-origin",
        headers: { [OFFLINE_HEADER]: "1", Accept: "application/json" },
      });
    } catch (error) {
      return "unsent";
    }
    if (!(response.headers.get("Content-Type") || "").includes("json")) {
      return "unsent";
    }
    const answer = await response.json();
    if (answer.status === "saved") {
      await remove(entry.key);
      return "saved";
    }
    if (answer.status === "conflict") {
      await put(Object.assign(entry, {
        state: "conflict", server: answer.server, serverVersion: answer.version,
        message: answer.message,
      }));
      return "conflict";
    }
    await put(Object.assign(entry, { state: "refused", message: problemOf(answer) }));
    return "refused";
  }

  async function sendWaiting() {
    const waiting = (await all()).filter((entry) => entry.state === "waiting");
    const result = { saved: 0, unsent: 0, problems: 0 };
    if (!waiting.length) {
      return result;
    }
    const token = await freshToken();
    for (const entry of waiting) {
      const outcome = token ? await sendOne(entry, token) : "unsent";
      if (outcome === "saved") {
        result.saved += 1;
      } else if (outcome === "unsent") {
        result.unsent += 1;
      } else {
        result.problems += 1;
      }
    }
    return result;
  }

  // Send every waiting entry, one sender at a time across tabs and the service worker.
  function sendAll() {
    const locks = scope.navigator && scope.navigator.locks;
    return locks ? locks.request("polare-send", sendWaiting) : sendWaiting();
  }

  scope.PolareQueue = {
    SYNC_TAG: "polare-send", CHANNEL, all, put, remove, clear, newKey, sendAll,
  };
})(self);

// The installable app on every page: the service worker, the count of logs waiting on the
// phone, sending them when there is a signal, conflicts to choose from, and logging out.
(function () {
  "use strict";

  const Queue = window.PolareQueue;
  const status = document.getElementById("offline-status");
  const badge = document.getElementById("offline-waiting");
  if (!Queue || !status || !window.indexedDB) {
    return;
  }
  const text = status.dataset;
  const signedIn = document.body.dataset.signedIn === "1";

  function element(tag, className, content) {
    const node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (content !== undefined) {
      node.textContent = content;
    }
    return node;
  }

  function button(label, className, action) {
    const node = element("button", "btn " + className, label);
    node.type = "button";
    node.addEventListener("click", action);
    return node;
  }

  function comparison(entry) {
    const table = element("table", "table table-sm");
    const head = table.createTHead().insertRow();
    [text.field, text.phone, text.server].forEach((label) => head.appendChild(element("th", "", label)));
    const body = table.createTBody();
    const names = Object.keys(entry.summary).concat(
      Object.keys(entry.server || {}).filter((name) => !(name in entry.summary)));
    for (const name of names) {
      const mine = entry.summary[name] || {}, theirs = (entry.server || {})[name] || {};
      const row = body.insertRow();
      if ((mine.value || "–") !== (theirs.value || "–")) {
        row.className = "table-warning";
      }
      row.appendChild(element("th", "fw-normal", mine.label || theirs.label || name));
      row.appendChild(element("td", "", mine.value || "–"));
      row.appendChild(element("td", "", theirs.value || "–"));
    }
    const wrapper = element("div", "table-responsive");
    wrapper.appendChild(table);
    return wrapper;
  }

  function conflictCard(entry) {
    const card = element("div", "alert alert-warning");
    card.setAttribute("role", "alert");
    card.appendChild(element("h2", "h5", text.conflict));
    card.appendChild(element("p", "mb-2", entry.title));
    card.appendChild(comparison(entry));
    const choices = element("div", "d-grid gap-2");
    choices.appendChild(button(text.keepMine, "btn-primary", async () => {
      await Queue.put(Object.assign(entry, { state: "waiting", version: entry.serverVersion }));
      await sendNow();
    }));
    choices.appendChild(button(text.keepServer, "btn-outline-secondary", () => Queue.remove(entry.key)));
    card.appendChild(choices);
    return card;
  }

  function refusedCard(entry) {
    const card = element("div", "alert alert-danger");
    card.setAttribute("role", "alert");
    card.appendChild(element("p", "mb-1 fw-semibold", entry.title));
    card.appendChild(element("p", "mb-2", text.refused + " " + entry.message));
    const open = element("a", "btn btn-outline-secondary me-2", text.open);
    open.href = entry.pageUrl;
    card.appendChild(open);
    card.appendChild(button(text.discard, "btn-outline-danger", () => Queue.remove(entry.key)));
    return card;
  }

  // The logout warning while it is open: a send that ends meanwhile must not take it away.
  let logoutCard = null;

  async function refresh() {
    const entries = await Queue.all();
    badge.querySelector("[data-count]").textContent = String(entries.length);
    badge.classList.toggle("d-none", entries.length === 0);
    const cards = entries.filter((entry) => entry.state !== "waiting").map(
      (entry) => (entry.state === "conflict" ? conflictCard(entry) : refusedCard(entry)));
    status.replaceChildren(...(logoutCard ? [logoutCard] : []), ...cards);
    return entries;
  }

  async function keepPages() {
    const pagesUrl = document.body.dataset.offlinePages;
    if (!pagesUrl || !navigator.onLine || !("serviceWorker" in navigator)) {
      return;
    }
    try {
      const response = await fetch(pagesUrl, {
        headers: { Accept: "application/json", "X-Polare-Offline-Copy": "1" },
      });
      if (!response.ok || response.redirected) {
        return;
      }
      const pages = (await response.json()).pages;
      const registration = await navigator.serviceWorker.ready;
      registration.active.postMessage({ type: "keep-pages", pages });
    } catch (error) {
      // No signal after all: the pages kept at the last visit stay.
    }
  }

  async function sendNow() {
    const result = await Queue.sendAll();
    const entries = await refresh();
    if (result.saved && !entries.length) {
      showNotice(text.sent, "alert-success");
    }
    return entries;
  }

  function showNotice(message, className) {
    const notice = document.getElementById("offline-log-status") || status;
    const alert = element("div", "alert " + className, message);
    alert.setAttribute("role", "status");
    notice.replaceChildren(alert);
  }

  async function clearEverything() {
    await Queue.clear();
    if (window.caches) {
      for (const name of await caches.keys()) {
        await caches.delete(name);
      }
    }
  }

  // ---- the log page: saving on the phone when there is no signal

  function summaryOf(form) {
    const summary = {};
    form.querySelectorAll("fieldset.attendance").forEach((fieldset) => {
      const checked = fieldset.querySelector("input:checked");
      const first = fieldset.querySelector("input");
      summary[first.name] = {
        label: fieldset.querySelector("legend").textContent.trim(),
        value: checked ? form.querySelector(`label[for="${checked.id}"]`).textContent.trim() : "–",
      };
    });
    form.querySelectorAll("input[inputmode=numeric], textarea, select").forEach((field) => {
      const label = form.querySelector(`label[for="${field.id}"]`);
      const value = field.tagName === "SELECT" ? field.selectedOptions[0].textContent : field.value;
      summary[field.name] = { label: label ? label.textContent.trim() : field.name,
                              value: value.trim() || "–" };
    });
    return summary;
  }

  async function saveOnPhone(form, submitter) {
    const fields = Array.from(new FormData(form, submitter).entries());
    const walkId = form.dataset.walkId;
    const earlier = (await Queue.all()).find((entry) => entry.walkId === walkId);
    await Queue.put({
      key: earlier ? earlier.key : Queue.newKey(), walkId, fields, state: "waiting",
      version: form.elements.version.value, sendUrl: form.dataset.offlineLog,
      pageUrl: location.pathname, title: form.dataset.walkTitle, summary: summaryOf(form),
      savedAt: new Date().toISOString(),
    });
    showNotice(text.saved, "alert-info");
    document.getElementById("offline-log-status").scrollIntoView({ block: "center" });
    await refresh();
    const registration = "serviceWorker" in navigator && (await navigator.serviceWorker.ready);
    if (registration && registration.sync) {
      registration.sync.register(Queue.SYNC_TAG).catch(() => undefined);
    }
  }

  const logForm = document.querySelector("form[data-offline-log]");
  if (logForm) {
    // A page kept on the phone is opened many times: each opening gets its own one-time key.
    logForm.elements.submission_key.value = Queue.newKey();
    logForm.addEventListener("submit", (event) => {
      if (!navigator.onLine) {
        event.preventDefault();
        saveOnPhone(logForm, event.submitter);
      }
    });
  }

  // ---- logging out: warn about waiting logs, then clear the phone

  function logoutWarning(form, count) {
    const card = element("div", "alert alert-warning");
    card.setAttribute("role", "alertdialog");
    card.setAttribute("aria-label", text.logoutWarning);
    card.appendChild(element("p", "fw-semibold", text.logoutWarning + " " + count));
    const leave = async () => {
      await clearEverything();
      form.dataset.cleared = "1";
      form.requestSubmit();
    };
    const choices = element("div", "d-grid gap-2");
    choices.appendChild(button(text.sendFirst, "btn-primary", async () => {
      const left = await sendNow();
      if (left.length) {
        showNotice(text.notSent, "alert-danger");
      } else {
        await leave();
      }
    }));
    choices.appendChild(button(text.logoutAnyway, "btn-outline-danger", leave));
    choices.appendChild(button(text.cancel, "btn-outline-secondary", () => {
      logoutCard = null;
      return refresh();
    }));
    card.appendChild(choices);
    logoutCard = card;
    status.replaceChildren(card);
    card.scrollIntoView({ block: "center" });
  }

  const logoutForm = document.querySelector("form[data-logout]");
  if (logoutForm) {
    logoutForm.addEventListener("submit", async (event) => {
      if (logoutForm.dataset.cleared === "1") {
        return;
      }
      event.preventDefault();
      const count = (await Queue.all()).length;
      if (count) {
        logoutWarning(logoutForm, count);
      } else {
        await clearEverything();
        logoutForm.dataset.cleared = "1";
        logoutForm.requestSubmit();
      }
    });
  }

  // ---- on every page

  if (window.BroadcastChannel) {
    new BroadcastChannel(Queue.CHANNEL).onmessage = () => refresh();
  }
  if (document.body.dataset.offlineClear === "1") {
    clearEverything().then(refresh);
    return;
  }
  if ("serviceWorker" in navigator && signedIn) {
    navigator.serviceWorker.register(document.body.dataset.worker, { scope: "/" });
    navigator.serviceWorker.addEventListener("message", (event) => {
      if (event.data && event.data.type === "pages-kept") {
        document.documentElement.dataset.offlinePagesKept = String(event.data.pages.length);
      }
    });
  }
  window.addEventListener("online", () => sendNow().then(keepPages));
  refresh().then(() => (signedIn && navigator.onLine ? sendNow().then(keepPages) : undefined));
})();

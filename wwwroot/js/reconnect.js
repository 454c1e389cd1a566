// The reconnect dialog's behaviour (Components/Layout/ReconnectModal.razor), after .NET 10's template: blazor.web.js
// reports each state on the dialog; this shows and closes it and wires its buttons. A module file rather than inline
// handlers, so the Content-Security-Policy can forbid inline script.
//
// Everything listens on the document (the state event in the capture phase, as it does not bubble): enhanced
// navigation may swap the dialog element for a new one, and a script it brings along is not run again.
const dialogId = 'components-reconnect-modal';
const dialog = () => document.getElementById(dialogId);
const unsavedKey = 'app-unsaved-fields';

// The circuit is gone (its server instance died or restarted): a reload starts a new one, and what was typed but not
// yet sent is lost. Before reloading, note which fields held text (their labels, never their values: no personal data
// is kept in the browser), and say so on the reloaded page.
function reloadPage() {
  const labels = [];
  for (const field of document.querySelectorAll('main input, main textarea')) {
    if (['hidden', 'password', 'checkbox', 'radio', 'file'].includes(field.type) || field.readOnly || field.disabled || !field.value.trim()) {
      continue;
    }
    const label = (field.labels?.[0]?.textContent || field.getAttribute('aria-label') || '').trim();
    if (label && !labels.includes(label)) {
      labels.push(label);
    }
  }
  if (labels.length > 0) {
    sessionStorage.setItem(unsavedKey, JSON.stringify({ page: location.pathname + location.search, labels }));
  }
  location.reload();
}

function showUnsaved() {
  const saved = sessionStorage.getItem(unsavedKey);
  sessionStorage.removeItem(unsavedKey);
  const modal = dialog();
  const list = document.getElementById('app-reconnect-unsaved-fields');
  if (!saved || !modal || !list) {
    return;
  }
  const { page, labels } = JSON.parse(saved);
  if (page !== location.pathname + location.search) {
    return;
  }
  list.replaceChildren(...labels.map(label => Object.assign(document.createElement('li'), { textContent: label })));
  modal.classList.add('app-unsaved');
  modal.showModal();
}

async function retry() {
  document.removeEventListener('visibilitychange', retryWhenVisible);
  try {
    // true: reconnected; false: the server answered but no longer knows this circuit; an exception: not reachable.
    const reconnected = await Blazor.reconnect();
    if (!reconnected) {
      if (await Blazor.resumeCircuit()) {
        dialog()?.close();
      } else {
        reloadPage();
      }
    }
  } catch {
    document.addEventListener('visibilitychange', retryWhenVisible);
  }
}

async function resume() {
  try {
    if (!(await Blazor.resumeCircuit())) {
      reloadPage();
    }
  } catch {
    reloadPage();
  }
}

async function retryWhenVisible() {
  if (document.visibilityState === 'visible') {
    await retry();
  }
}

document.addEventListener('components-reconnect-state-changed', event => {
  const modal = event.target;
  if (!(modal instanceof HTMLDialogElement) || modal.id !== dialogId) {
    return;
  }
  const state = event.detail.state;
  if (state === 'hide') {
    modal.close();
  } else if (!modal.open) {
    modal.showModal();
  }
  if (state === 'failed') {
    // A laptop waking up: try again as soon as the page is looked at.
    document.addEventListener('visibilitychange', retryWhenVisible);
  } else if (state === 'rejected') {
    // The server is back (or another instance answers) but this circuit is gone: a fresh page is the quickest way on.
    reloadPage();
  }
}, true);

// Escape would close the dialog while the page still cannot work (the notice of unsaved fields may be closed).
document.addEventListener('cancel', event => {
  if (event.target?.id === dialogId && !event.target.classList.contains('app-unsaved')) {
    event.preventDefault();
  }
}, true);

document.addEventListener('click', event => {
  const button = event.target instanceof Element ? event.target.closest('button') : null;
  if (button?.id === 'components-reconnect-button') {
    retry();
  } else if (button?.id === 'components-resume-button') {
    resume();
  } else if (button?.id === 'app-reconnect-reload') {
    reloadPage();
  } else if (button?.id === 'app-reconnect-unsaved-ok') {
    dialog()?.classList.remove('app-unsaved');
    dialog()?.close();
  }
});

showUnsaved();

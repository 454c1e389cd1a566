// Report downloads (Components/Controls/ReportDownload.razor): fetches the file from the report endpoint so the page can
// say that a long report is being made and how far the transfer is, shows the server's German message when the
// parameters are refused, and hands the finished file to the browser as a download. A separate file, no inline script
// (Content-Security-Policy). Without this script the links are plain downloads.
(() => {
  const fileName = (response, fallback) => {
    const header = response.headers.get('Content-Disposition') || '';
    const encoded = /filename\*=UTF-8''([^;]+)/i.exec(header);
    if (encoded) {
      return decodeURIComponent(encoded[1]);
    }
    const plain = /filename="?([^";]+)"?/i.exec(header);
    return plain ? plain[1] : fallback;
  };

  const readWithProgress = async (response, report) => {
    const total = Number(response.headers.get('Content-Length')) || 0;
    if (!response.body || !total) {
      return await response.blob();
    }
    const reader = response.body.getReader();
    const chunks = [];
    let received = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        break;
      }
      chunks.push(value);
      received += value.length;
      report(Math.round(received * 100 / total));
    }
    return new Blob(chunks, { type: response.headers.get('Content-Type') || 'application/octet-stream' });
  };

  const problemTitle = async (response) => {
    try {
      const problem = await response.json();
      return problem && problem.title;
    } catch {
      return null;
    }
  };

  document.addEventListener('click', async (event) => {
    const link = event.target instanceof Element ? event.target.closest('a[data-report-download]') : null;
    if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) {
      return;
    }
    event.preventDefault();
    const container = link.closest('.app-report-download');
    const status = container && container.querySelector('[data-report-status]');
    const say = (text, busy) => {
      if (status) {
        status.textContent = text;
        status.classList.toggle('app-report-busy', !!busy);
        status.classList.remove('app-report-error');
      }
    };
    if (link.getAttribute('aria-busy') === 'true') {
      return;
    }
    link.setAttribute('aria-busy', 'true');
    say(status?.dataset.textWorking || '…', true);
    try {
      const response = await fetch(link.href, { credentials: 'same-origin', headers: { Accept: 'application/pdf, text/csv, application/problem+json' } });
      if (response.redirected && new URL(response.url).pathname.startsWith('/Account/')) {
        // Signed out meanwhile (or no longer allowed): show the sign-in or access-denied page instead of saving it.
        location.assign(response.url);
        return;
      }
      if (!response.ok) {
        const message = await problemTitle(response) || status?.dataset.textFailed || String(response.status);
        say(message, false);
        status?.classList.add('app-report-error');
        return;
      }
      const blob = await readWithProgress(response, (percent) => say(`${status?.dataset.textReceiving || ''} ${percent} %`, true));
      const name = fileName(response, 'bericht');
      const url = URL.createObjectURL(blob);
      const save = document.createElement('a');
      save.href = url;
      save.download = name;
      save.hidden = true;
      document.body.appendChild(save);
      save.click();
      save.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60000);
      say(`${status?.dataset.textDone || ''} ${name}`, false);
    } catch {
      say(status?.dataset.textFailed || '', false);
      status?.classList.add('app-report-error');
    } finally {
      link.removeAttribute('aria-busy');
    }
  });
})();

// Copies a text to the clipboard for a button in a dialog (the bridge key). Answers false where the browser refuses
// (no secure context, permission denied), so the page can say so. A separate file, no inline script (Content-Security-Policy).
window.backOffice = window.backOffice || {};
window.backOffice.copyText = async (text) => {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
};

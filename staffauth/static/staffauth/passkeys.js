// After django-otp-webauthn has registered a passkey ("otp_webauthn.register_complete"), open
// the new passkey's naming page. The container carries that page's address for the id 0, and the
// address to return to afterwards.
document.addEventListener("otp_webauthn.register_complete", (event) => {
  const box = document.getElementById("passkey-registration");
  const id = Number(event.detail && event.detail.id);
  if (!box || !Number.isInteger(id) || id <= 0) {
    return;
  }
  const url = new URL(box.dataset.passkeyUrl.replace(/\/0\/$/, `/${id}/`), window.location.origin);
  url.searchParams.set("added", "1");
  if (box.dataset.next) {
    url.searchParams.set("next", box.dataset.next);
  }
  window.location.assign(url.toString());
});

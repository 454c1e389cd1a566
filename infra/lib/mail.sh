# Sourced by test.sh after postgres.sh (for ensure_packages): a real SMTP server for the alarm e-mail tests, Debian's
# aiosmtpd, which the tests run with Debian's own /usr/bin/python3 (STARTTLS with a certificate the test makes).
ensure_mail_test_server() {
  ensure_packages python3-aiosmtpd
}

#!/bin/sh
# Serves HTTPS when a certificate and key are mounted in /etc/portfolio-registry, else HTTP.
set -e
if [ -f /etc/portfolio-registry/cert.pem ] && [ -f /etc/portfolio-registry/key.pem ]; then
  export PORTFOLIO_REGISTRY_TLS_CERT=/etc/portfolio-registry/cert.pem
  export PORTFOLIO_REGISTRY_TLS_KEY=/etc/portfolio-registry/key.pem
fi
exec portfolio-registry serve "$@"

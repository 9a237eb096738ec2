# Fair Say: the Telegram bot as a container.
#   docker build -t fairsay .
#   docker run -e TELEGRAM_BOT_TOKEN=... -v fairsay-data:/data fairsay
# With TELEGRAM_WEBHOOK_URL (and _SECRET) set it serves the webhook on PORT (8080) instead of polling.
# compose.yaml runs it with PostgreSQL, two instances and shared evidence storage at /evidence.

FROM python:3.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY requirements/runtime.txt ./requirements/
RUN python -m venv /opt/fairsay \
 && /opt/fairsay/bin/pip install --require-hashes -r requirements/runtime.txt
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY flows ./flows
COPY locales ./locales
# The catalogues are compiled where the final stage reads them: in the installed package (python -I
# keeps /src off the path, so the installed package compiles its own locales, not /src's).
RUN /opt/fairsay/bin/pip install --no-deps . \
 && /opt/fairsay/bin/python -I -c "from bot.catalogues import compile_catalogues; compile_catalogues()"

FROM python:3.11-slim-bookworm
ENV PATH=/opt/fairsay/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    DATABASE_URL=sqlite:////data/fairsay.sqlite3 \
    EVIDENCE_DIR=/data/evidence \
    HOST=0.0.0.0 \
    PORT=8080 \
    LOG_FORMAT=json
# /evidence: the mount point of shared evidence storage (compose's `evidence` volume), the service
# user's, so a new volume mounted there is too.
# Tesseract (with its English data) reads photographed and scanned letters (fairsay check-response).
RUN apt-get update \
 && apt-get install -y --no-install-recommends tesseract-ocr=5.3.* \
 && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 fairsay \
 && useradd --system --uid 10001 --gid 10001 --home-dir /data --create-home fairsay \
 && install -d -o 10001 -g 10001 -m 0700 /evidence
COPY --from=build /opt/fairsay /opt/fairsay
USER 10001:10001
WORKDIR /data
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=10s --start-period=20s --retries=3 CMD ["fairsay", "health"]
CMD ["fairsay", "bot"]

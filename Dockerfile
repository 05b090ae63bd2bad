# Sangam web / worker / beat image.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    FLASK_APP=wsgi \
    PORT=5000 \
    BIND_HOST=0.0.0.0 \
    EXPORT_DIR=/data/exports \
    SANGAM_INSTANCE_DIR=/data/instance \
    MPLCONFIGDIR=/tmp/matplotlib

RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system sangam && useradd --system --gid sangam --home-dir /app --no-create-home sangam

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY --chown=sangam:sangam . .
RUN mkdir -p /data/exports /data/instance && chown -R sangam:sangam /data

USER sangam
EXPOSE 5000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD curl -fsS "http://127.0.0.1:${PORT}/health" || exit 1

# gthread worker: Flask-SocketIO in threading mode serves WebSockets through simple-websocket.
CMD ["gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"]

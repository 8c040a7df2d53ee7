"""Object storage for tests: moto's standalone S3 server on loopback, reached by
django-storages and boto3 over HTTP as a production S3 service is.

Import the fixtures into a test module: `from tests.object_storage import object_storage,
s3_server  # noqa: F401`.
"""

import socket

import pytest

BUCKET = "mwi-uploads"
CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "test-key",
    "AWS_SECRET_ACCESS_KEY": "test-secret",  # the loopback server's, accepted by any moto
    "AWS_DEFAULT_REGION": "us-east-1",
}


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3_server():
    """The URL of a real S3 API server (moto's ThreadedMotoServer) for the module."""
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


def create_bucket(endpoint, bucket=BUCKET):
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        region_name=CREDENTIALS["AWS_DEFAULT_REGION"],
    )
    client.create_bucket(Bucket=bucket)
    return client


@pytest.fixture
def object_storage(s3_server, settings, monkeypatch):
    """Uploads on a fresh bucket of the S3 server, configured as mwi/settings.py does from
    AWS_STORAGE_BUCKET_NAME and AWS_S3_ENDPOINT_URL. Returns the boto3 client and bucket."""
    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    bucket = f"{BUCKET}-{free_port()}"
    client = create_bucket(s3_server, bucket)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": s3_server,
                "default_acl": "private",
                "querystring_auth": True,
                "file_overwrite": False,
            },
        },
    }
    return client, bucket

"""Uploaded recordings and materials: what is accepted, where it is stored, how it is served.

A file is judged by its content, never by the name or the Content-Type the browser sent: its
first bytes must be one of the allowlisted formats below (checked with `filetype`), or, for
chat logs and transcripts, plain UTF-8 text. It is then stored under a generated name (a
random hex string plus the extension of the detected type), so an uploaded name can neither
collide, traverse folders nor smuggle an `.html`. The download view serves every file as an
attachment with the content type of its detected extension.
"""

import re
import uuid
from pathlib import PurePosixPath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.http import content_disposition_header

# Extension -> content type served. Only these are accepted, per kind of upload.
RECORDING_TYPES = {
    "mp4": "video/mp4",
    "m4v": "video/mp4",
    "webm": "video/webm",
    "mov": "video/quicktime",
    "mp3": "audio/mpeg",
    "m4a": "audio/mp4",
    "ogg": "audio/ogg",
    "wav": "audio/wav",
    "flac": "audio/flac",
}
DOCUMENT_TYPES = {
    "pdf": "application/pdf",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "png": "image/png",
    "jpg": "image/jpeg",
    "txt": "text/plain; charset=utf-8",
}
MATERIAL_TYPES = {**DOCUMENT_TYPES, **RECORDING_TYPES}
ALL_TYPES = {**MATERIAL_TYPES}

# Names a text upload may carry; whatever it is called, it is stored and served as .txt.
TEXT_NAME_SUFFIXES = {".txt", ".vtt", ".srt", ".md", ".csv", ".log", ""}
_SNIFF_BYTES = 64 * 1024
IMAGE_EXTENSIONS = {"png", "jpg"}
_MARKUP = re.compile(rb"<\s*/?\s*(?:script|html|body|svg|iframe|object|embed|meta)\b", re.I)


def _contains_markup(upload):
    """Whether a file contains HTML/script tags anywhere (read in overlapping chunks)."""
    upload.seek(0)
    tail = b""
    try:
        for chunk in upload.chunks():
            if _MARKUP.search(tail + chunk):
                return True
            tail = chunk[-32:]
    finally:
        upload.seek(0)
    return False


def _looks_like_text(head):
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut by the end of the sample is still text.
        return error.start >= len(head) - 3 and len(head) == _SNIFF_BYTES
    return bool(head.strip())


def detect_extension(upload, allowed):
    """The extension of the upload's real format if it is in `allowed`, else ValidationError.

    Reads the first 64 KiB and rewinds the file.
    """
    upload.seek(0)
    head = upload.read(_SNIFF_BYTES)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is not None:
        extension = {"jpeg": "jpg"}.get(kind.extension, kind.extension)
        if extension in allowed:
            if extension in IMAGE_EXTENSIONS and _contains_markup(upload):
                # An image/HTML polyglot: valid image bytes with a page appended. We serve
                # it as an image attachment anyway, but an image has no business carrying it.
                raise ValidationError(
                    "This image also contains HTML or script markup and is not accepted.",
                    code="file_markup",
                )
            return extension
        raise ValidationError(
            f"Files of type {kind.extension.upper()} ({kind.mime}) are not accepted here. "
            f"Accepted: {_accepted(allowed)}.",
            code="file_type",
        )
    suffix = PurePosixPath(upload.name or "").suffix.lower()
    if "txt" in allowed and suffix in TEXT_NAME_SUFFIXES and _looks_like_text(head):
        return "txt"
    raise ValidationError(
        f"This file's content is not a type accepted here. Accepted: {_accepted(allowed)}.",
        code="file_type",
    )


def _accepted(allowed):
    return ", ".join(sorted(ext.upper() for ext in allowed))


def validate_upload(upload, allowed):
    """Check size and content of a new upload; return the extension it will be stored with."""
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            f"This file is {filesizeformat(upload.size)}; the limit is {filesizeformat(limit)}.",
            code="file_size",
        )
    if upload.size == 0:
        raise ValidationError("This file is empty.", code="file_empty")
    return detect_extension(upload, allowed)


def _generated_name(folder, filename):
    extension = PurePosixPath(filename).suffix.lower().lstrip(".")
    if extension not in ALL_TYPES:
        extension = "bin"
    return f"{folder}/{timezone.now():%Y}/{uuid.uuid4().hex}.{extension}"


def recording_upload_to(instance, filename):
    """Storage name of a recording: recordings/<year>/<random>.<detected extension>."""
    return _generated_name("recordings", filename)


def material_upload_to(instance, filename):
    """Storage name of a material: materials/<year>/<random>.<detected extension>."""
    return _generated_name("materials", filename)


def content_type_for(name):
    """The content type a stored file is served with (by the extension we gave it)."""
    extension = PurePosixPath(name).suffix.lower().lstrip(".")
    return ALL_TYPES.get(extension, "application/octet-stream")


def extension_of(name):
    return PurePosixPath(name).suffix.lower().lstrip(".")


# How long a signed object-storage URL for a download stays valid: long enough for a player
# to keep fetching ranges of an hour-long recording, short enough not to be a lasting link.
SIGNED_URL_SECONDS = 2 * 3600


def is_local(storage):
    """Whether `storage` keeps files on this server's disk (it can name a file's path)."""
    try:
        storage.path("probe")
    except NotImplementedError:
        return False
    return True


def signed_url(storage, name, filename, content_type):
    """A URL of object storage (django-storages' S3Storage) that serves the file `name` as an
    attachment called `filename` with `content_type`, valid for SIGNED_URL_SECONDS; the
    storage answers byte ranges itself (S3 GetObject honours Range)."""
    return storage.url(
        name,
        parameters={
            "ResponseContentDisposition": content_disposition_header(True, filename),
            "ResponseContentType": content_type,
        },
        expire=SIGNED_URL_SECONDS,
    )

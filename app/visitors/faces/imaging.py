"""Decode an uploaded photo in memory into RGB pixels, refusing what is not a sane image.

Nothing here touches the disk: the bytes come in, a numpy array goes out, and both are dropped
when the request ends. Large photos are shrunk so the longest side is at most ``max_side`` pixels
(detection time grows with the pixel count; a face at reception fills much of the frame).
"""

from __future__ import annotations

import io

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from app.visitors.errors import InvalidImage

FORMATS = ("JPEG", "PNG", "WEBP")  # the JPEG reader also opens MPO, the variant many phone cameras write


def decode_rgb(data: bytes, *, max_side: int, max_pixels: int) -> np.ndarray:
    """Return the image as an H×W×3 uint8 array (EXIF orientation applied); 422 for anything else."""
    if not data:
        raise InvalidImage("The image is empty.")
    try:
        with Image.open(io.BytesIO(data), formats=FORMATS) as image:
            if image.width * image.height > max_pixels:
                raise InvalidImage(f"The image is too large: at most {max_pixels // 1_000_000} megapixels.")
            image = ImageOps.exif_transpose(image).convert("RGB")
            image.thumbnail((max_side, max_side))
            return np.asarray(image, dtype=np.uint8).copy()
    except InvalidImage:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError, SyntaxError) as exc:
        raise InvalidImage() from exc

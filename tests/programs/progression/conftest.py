"""Make the repository importable when pytest runs without a root conftest or pytest-django.

The progression tests are plain Python: no database, no Django settings.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

"""Sleep metrics (pure): diary nights, wearable episodes, regularity.

Diary and wearable values are computed separately and always carry a ``source`` label; nothing
here averages them together.
"""

from nightleaf.sleep.diary import NightMetrics, diary_metrics
from nightleaf.sleep.episode import episode_metrics, main_episodes
from nightleaf.sleep.regularity import (
    Regularity,
    SRIResult,
    main_sleep_times,
    sleep_regularity_index,
    sri_from_entries,
    sri_from_episodes,
    window_regularity,
)

__all__ = [
    "NightMetrics",
    "Regularity",
    "SRIResult",
    "diary_metrics",
    "episode_metrics",
    "main_episodes",
    "main_sleep_times",
    "sleep_regularity_index",
    "sri_from_entries",
    "sri_from_episodes",
    "window_regularity",
]

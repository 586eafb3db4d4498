"""eKommune strategies and action plans. Built by the strategies issue."""

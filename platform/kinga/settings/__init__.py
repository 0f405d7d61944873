"""Settings are split by role: base (everything), deploy (environment knobs), dev, test."""

"""From the engine's decisions to explained advice: verdicts, reasons, counterfactuals."""

"""Re-laying out a report to GB/T 9704 (`fazhi format`) and the Word helpers it shares with
`fazhi template`."""

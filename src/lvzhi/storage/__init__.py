"""What every storage backend shares: the one list of aggregates (:mod:`.schema`), URL
parsing (:mod:`.url`) and the checks of the scan log's bulk path (:mod:`.scans`)."""

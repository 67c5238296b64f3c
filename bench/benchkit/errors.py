"""The one error type the benchmark raises for anything that makes a number untrustworthy."""


class BenchError(Exception):
    """A build, start-up, verification or time-out failure, with a message meant for the person running it."""

// Does nothing: the Native AOT runtime's start-up and exit (no argument), or its idle footprint (--idle: sleeps until
// killed), measured beside the agent by bench/run.
if (args is ["--idle"])
{
    Thread.Sleep(Timeout.Infinite);
}

return 0;

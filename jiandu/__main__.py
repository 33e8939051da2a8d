from jiandu.cli import main

main()

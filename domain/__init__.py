"""The repair-service core: tickets, people, estates and registration, in pure Python."""

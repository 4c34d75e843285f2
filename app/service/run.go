package service

import "time"

// stopWait bounds a stop: the HTTP drain (10 s) and closing the database.
const stopWait = 30 * time.Second

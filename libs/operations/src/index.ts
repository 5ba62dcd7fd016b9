export { createQueueBoard, QueueBoard, QueueBoardOptions } from './queue-board';
